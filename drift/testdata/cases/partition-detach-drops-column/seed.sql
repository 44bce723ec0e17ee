INSERT INTO public.m VALUES (1, '2024-03-01', 'p'), (2, '2025-03-01', 'q');
