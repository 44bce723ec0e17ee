CREATE TABLE public.t (id int PRIMARY KEY, v text);
COMMENT ON TABLE public.t IS E'line one\nline ''two''\\ end';
COMMENT ON COLUMN public.t.v IS 'ünïcödé ✓';
