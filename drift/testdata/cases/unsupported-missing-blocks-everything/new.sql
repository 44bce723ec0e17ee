CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text);
CREATE PUBLICATION t_changes FOR TABLE public.t;
