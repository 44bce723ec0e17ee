CREATE TYPE public.status AS ENUM ('new', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, status public.status NOT NULL DEFAULT 'new');
