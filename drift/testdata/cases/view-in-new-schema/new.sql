CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE SCHEMA rep;
CREATE VIEW rep.t_v AS SELECT id FROM public.t;
