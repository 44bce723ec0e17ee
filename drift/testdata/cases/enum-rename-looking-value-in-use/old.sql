CREATE TYPE public.color AS ENUM ('red', 'green');
CREATE TABLE public.t (id int PRIMARY KEY, c public.color);
