INSERT INTO public.leaf VALUES (1, '2024-01-01', 'm', 'l');
INSERT INTO public.mid VALUES (2, '2024-01-02', 'm');
