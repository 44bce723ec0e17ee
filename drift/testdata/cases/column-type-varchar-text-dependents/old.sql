CREATE TABLE public.t (id int PRIMARY KEY, code varchar(20) NOT NULL CONSTRAINT t_code_nonempty CHECK (code <> ''));
CREATE INDEX t_code_lower ON public.t (lower(code));
CREATE INDEX t_code_partial ON public.t (id) WHERE code <> 'x';
