CREATE TYPE public.state AS ENUM ('done', 'new');
CREATE TABLE public.tasks (id int, state public.state);
