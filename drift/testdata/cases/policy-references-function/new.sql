CREATE FUNCTION public.current_tenant() RETURNS int LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('app.tenant', true), '')::int, 0) $$;
CREATE TABLE public.t (id int PRIMARY KEY, tenant int NOT NULL);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON public.t USING (tenant = public.current_tenant());
