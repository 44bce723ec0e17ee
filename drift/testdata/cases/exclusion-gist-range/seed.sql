INSERT INTO public.reservations VALUES (1, '[2024-01-01,2024-01-02)'), (2, '[2024-01-02,2024-01-03)');
