CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE TABLE public.t_log (id int, at timestamptz DEFAULT now());
