CREATE TABLE public.t (id int PRIMARY KEY, email text, data jsonb);
CREATE INDEX t_email_lower ON public.t (lower(email));
CREATE INDEX t_data_kind ON public.t ((data ->> 'kind'));
