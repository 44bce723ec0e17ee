INSERT INTO public.r VALUES (1, 'de'), (2, 'us');
