INSERT INTO public.item VALUES (1, 'apple', 1.5), (2, 'pear', 2.0);
INSERT INTO public.basket_line VALUES (1, 1, 'apple'), (2, 2, 'pear');
