CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE TABLE public.log (id int, n int);
CREATE RULE t_log AS ON INSERT TO public.t DO ALSO INSERT INTO public.log VALUES (NEW.id, NEW.n);
