CREATE TABLE public.t (id int PRIMARY KEY);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON public.t FOR SELECT TO schemactl_case_reader, schemactl_case_writer USING (true);
