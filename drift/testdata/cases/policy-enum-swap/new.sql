CREATE TYPE public.level AS ENUM ('low', 'high');
CREATE TABLE public.t (id int PRIMARY KEY, lvl public.level NOT NULL);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY high_only ON public.t USING (lvl = 'high');
