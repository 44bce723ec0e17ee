INSERT INTO public.base VALUES (1, 'a');
INSERT INTO public.child VALUES (2, 'b', 3);
INSERT INTO public.grandchild VALUES (4, 'c', 5, 6);
