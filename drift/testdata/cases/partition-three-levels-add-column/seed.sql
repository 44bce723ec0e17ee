INSERT INTO public.m VALUES (1, '2024-03-01', 'eu'), (2, '2024-03-01', 'us');
