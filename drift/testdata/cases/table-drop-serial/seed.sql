INSERT INTO public.b (v) VALUES ('x');
