INSERT INTO public.t VALUES (1, 'me', false, 3);
