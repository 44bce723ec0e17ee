INSERT INTO public.live VALUES (1, '2024-03-01'), (2, '2025-03-01');
