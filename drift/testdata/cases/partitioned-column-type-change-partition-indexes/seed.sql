INSERT INTO public.m VALUES (1, '2025-03-01', 5), (2, '2026-03-01', 7);
