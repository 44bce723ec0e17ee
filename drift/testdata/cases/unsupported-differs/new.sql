CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE PUBLICATION t_changes FOR TABLE public.t;
