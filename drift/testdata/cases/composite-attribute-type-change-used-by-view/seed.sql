INSERT INTO public.t VALUES (1, ROW(1, 2));
