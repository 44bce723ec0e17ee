INSERT INTO public.m VALUES (1, 'us'), (2, 'asia');
