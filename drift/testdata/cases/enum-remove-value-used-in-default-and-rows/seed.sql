INSERT INTO public.t VALUES (1, 'draft'), (2, 'pending'), (3, DEFAULT);
