CREATE TABLE public.t (id int PRIMARY KEY, token text);
CREATE INDEX t_token ON public.t USING hash (token);
