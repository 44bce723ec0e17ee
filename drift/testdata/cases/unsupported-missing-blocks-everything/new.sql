CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text);
CREATE RULE t_no_delete AS ON DELETE TO public.t DO INSTEAD NOTHING;
