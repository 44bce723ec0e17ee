CREATE TYPE public.tag AS ENUM ('red', 'green');
CREATE TABLE public.t (id int PRIMARY KEY, current public.tag, history public.tag[]);
