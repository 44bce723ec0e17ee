CREATE TYPE public.size AS ENUM ('m', 's', 'l');
CREATE TABLE public.t (id int PRIMARY KEY, s public.size);
