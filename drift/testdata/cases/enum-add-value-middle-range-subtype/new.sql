CREATE TYPE public.lvl AS ENUM ('low', 'mid', 'midhigh', 'high', 'max');
CREATE TYPE public.lvl_range AS RANGE (SUBTYPE = public.lvl);
CREATE TABLE public.t (id int PRIMARY KEY, span public.lvl_range);
