INSERT INTO public.t VALUES (1, 'sad'), (2, 'ok');
