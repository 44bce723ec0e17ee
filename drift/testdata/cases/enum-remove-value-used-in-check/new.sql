CREATE TYPE public.mood AS ENUM ('ok', 'happy', 'sad');
CREATE TABLE public.t (id int PRIMARY KEY, m public.mood NOT NULL CONSTRAINT t_not_sad CHECK (m <> 'sad'));
CREATE INDEX t_happy ON public.t (id) WHERE m = 'happy';
