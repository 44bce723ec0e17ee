CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.t (id int PRIMARY KEY, m public.mood);
CREATE VIEW public.happy AS SELECT id FROM public.t WHERE m = 'happy';
