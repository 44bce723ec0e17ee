CREATE TYPE public.color AS ENUM ('red', 'verde');
CREATE TABLE public.t (id int PRIMARY KEY, c public.color);
