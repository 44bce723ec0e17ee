CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE CAST (public.mood AS text) WITH INOUT AS IMPLICIT;
