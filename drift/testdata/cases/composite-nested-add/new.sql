CREATE TYPE public.z_inner AS (x int, y int);
CREATE TYPE public.a_outer AS (inner_v public.z_inner, tags text[], history public.z_inner[]);
CREATE TABLE public.t (id int PRIMARY KEY, o public.a_outer);
