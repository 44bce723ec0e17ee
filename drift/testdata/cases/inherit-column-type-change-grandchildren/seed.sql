INSERT INTO public.grandchild VALUES (1, 2, 3, 4);
