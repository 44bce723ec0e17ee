CREATE TABLE public.t (id int PRIMARY KEY, email text);
-- an interrupted online build left its index (valid here; the plan replaces it anyway)
CREATE UNIQUE INDEX t_email_key__schemactl_new ON public.t (email);
