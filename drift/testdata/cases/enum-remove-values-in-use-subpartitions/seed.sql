INSERT INTO public.orders VALUES (1, 1, 2025, 'held'), (2, 1, 2026, 'new'), (3, 1, 2026, 'lost'), (4, 2, 2025, 'held'), (5, 2, 2025, 'done');
