CREATE TYPE public.size AS ENUM ('s', 'm', 'l');
CREATE TABLE public.t (id int PRIMARY KEY, s public.size);
