INSERT INTO public.t VALUES (1, 'ok'), (2, 'happy');
