CREATE TABLE public.docs (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON public.docs USING (owner = current_user);
COMMENT ON POLICY docs_owner ON public.docs IS 'owners see their documents';
