INSERT INTO public.t VALUES (1, '{"a":1,"a":2}');
