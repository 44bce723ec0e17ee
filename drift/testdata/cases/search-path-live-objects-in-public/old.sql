SET search_path = app, public;
CREATE TABLE public.t (id int PRIMARY KEY);
