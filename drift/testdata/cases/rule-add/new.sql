CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE TABLE public.t_log (id int, at timestamptz DEFAULT now());
CREATE RULE t_no_delete AS ON DELETE TO public.t DO INSTEAD NOTHING;
CREATE RULE "Log Insert" AS ON INSERT TO public.t DO ALSO INSERT INTO public.t_log (id) VALUES (NEW.id);
COMMENT ON RULE t_no_delete ON public.t IS 'rows are never deleted';
