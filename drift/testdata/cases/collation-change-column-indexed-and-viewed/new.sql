CREATE TABLE public.t (id int PRIMARY KEY, code text COLLATE "POSIX" UNIQUE);
CREATE VIEW public.v AS SELECT id, code FROM public.t;
