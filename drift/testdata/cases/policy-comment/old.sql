CREATE TABLE public.t (id int PRIMARY KEY, tenant int NOT NULL);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON public.t FOR SELECT USING (tenant = 1);
