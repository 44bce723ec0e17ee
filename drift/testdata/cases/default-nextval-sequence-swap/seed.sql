INSERT INTO public.t (v) VALUES ('a'), ('b');
