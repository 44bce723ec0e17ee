INSERT INTO public.t (id, price, qty) VALUES (1, 2.5, 4);
