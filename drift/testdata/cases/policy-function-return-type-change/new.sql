CREATE FUNCTION public.current_tenant() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT 1::bigint $$;
CREATE TABLE public.t (id int PRIMARY KEY, tenant bigint NOT NULL);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON public.t USING (tenant = public.current_tenant());
