CREATE TABLE public.t (id int PRIMARY KEY, deleted boolean NOT NULL DEFAULT false);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone ON public.t USING (true);
CREATE POLICY not_deleted ON public.t AS RESTRICTIVE FOR SELECT USING (NOT deleted);
