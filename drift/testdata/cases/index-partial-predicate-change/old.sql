CREATE TABLE public.t (id int PRIMARY KEY, email text, deleted_at timestamptz, active boolean);
CREATE UNIQUE INDEX t_email_live ON public.t (email) WHERE deleted_at IS NULL;
