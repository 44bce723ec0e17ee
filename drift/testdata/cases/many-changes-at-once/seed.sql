INSERT INTO public.customers (name, legacy_code) VALUES ('Ada', 'A1'), ('Grace', 'G1');
INSERT INTO public.orders (customer_id, status, total, note) VALUES (1, 'new', 10.5, 'x'), (2, 'done', 99.99, NULL);
INSERT INTO public.old_audit VALUES (1, 'm');
