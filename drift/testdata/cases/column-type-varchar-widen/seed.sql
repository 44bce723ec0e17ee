INSERT INTO public.t VALUES (1, 'abc'), (2, 'defghij');
